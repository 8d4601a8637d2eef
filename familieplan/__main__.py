from familieplan.cli import main

main()
