// Expand every event of an .ics file with two Node parsers and print, per parser, the
// occurrences of each UID as local dates and times in Europe/Copenhagen (JSON on stdout).
//   node expand.mjs FILE
import fs from "node:fs";
import ICAL from "ical.js";
import nodeIcal from "node-ical";

const text = fs.readFileSync(process.argv[2], "utf8");
const fmt = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "Europe/Copenhagen", year: "numeric", month: "2-digit", day: "2-digit",
  hour: "2-digit", minute: "2-digit", hourCycle: "h23",
});
const local = (date) => fmt.format(date).replace(" ", "T");

function withIcalJs() {
  const root = new ICAL.Component(ICAL.parse(text));
  for (const tz of root.getAllSubcomponents("vtimezone")) {
    ICAL.TimezoneService.register(tz);
  }
  const out = {};
  for (const comp of root.getAllSubcomponents("vevent")) {
    const event = new ICAL.Event(comp);
    const list = (out[event.uid] = []);
    if (!event.isRecurring()) {
      list.push(event.startDate.isDate ? event.startDate.toString() : local(event.startDate.toJSDate()));
      continue;
    }
    const it = event.iterator();
    for (let next = it.next(); next; next = it.next()) {
      list.push(local(next.toJSDate()));
    }
  }
  return out;
}

function withNodeIcal() {
  const data = nodeIcal.sync.parseICS(text);
  const out = {};
  for (const event of Object.values(data)) {
    if (event.type !== "VEVENT") continue;
    const list = (out[event.uid] = []);
    if (!event.rrule) {
      list.push(event.datetype === "date" ? local(event.start).slice(0, 10) : local(event.start));
      continue;
    }
    const excluded = new Set(Object.values(event.exdate || {}).map((d) => local(d)));
    for (const date of event.rrule.all()) {
      const text = local(date);
      if (!excluded.has(text)) list.push(text);
    }
  }
  return out;
}

console.log(JSON.stringify({ "ical.js": withIcalJs(), "node-ical": withNodeIcal() }));
