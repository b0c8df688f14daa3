"""`python -m provnews`: the same CLI as the `provnews` command."""

from provnews.cli import main

raise SystemExit(main())
