import sys

from lmsops.bench.cli import main

sys.exit(main())
