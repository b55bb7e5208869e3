from galley.cli import main

raise SystemExit(main())
