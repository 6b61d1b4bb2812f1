"""``python -m analysis.runner``: the CLI in :mod:`analysis.runner.cli`.

Jobs sent to worker processes refer to ``analysis.runner.*`` modules by their real names,
since this file only imports the CLI.
"""

import sys

from analysis.runner.cli import main

sys.exit(main())
