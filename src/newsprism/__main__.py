import sys

from newsprism.cli import main

sys.exit(main())
