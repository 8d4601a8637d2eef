"""familieplan: one joint plan (fællesplan) across municipal departments for a family.

The public library API is `familieplan.api` (every command as a function returning plain
data); its names are also available here, imported on first use so that `familieplan
--help` stays fast.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


# The names of `familieplan.api.__all__` (a test keeps the two lists equal).
API = frozenset({
    "CaseSet", "ChangesOptions", "ChangesResult", "Created", "Demand", "DisclosureEntry", "DocumentRequest",
    "Documents", "DueOptions", "FitRequest", "FitResult", "FollowUp", "GitSetup", "LoadOptions", "LoadResult",
    "MergeResult", "Report", "ReportOptions", "RulesResult", "SavePlan", "Skipped", "Validation", "changes", "check_load", "due",
    "export_ics", "find_workspace", "fit", "git_setup", "init_workspace", "load_cases", "load_one", "load_valid",
    "load_workspace", "merge_file", "merge_texts", "new_case", "new_meeting", "record_disclosures",
    "render_documents", "report", "rules_on", "save", "status", "validate", "workspace_root", "write_report", "write_schemas",
    "Approved", "InviteRequest", "Invited", "approve", "invite",
    "Event", "Recorded", "record",
})


def __getattr__(name: str) -> Any:
    if name in API:
        from familieplan import api

        return getattr(api, name)
    raise AttributeError(f"module 'familieplan' has no attribute {name!r}")
