from birlik.cli import main

raise SystemExit(main())
