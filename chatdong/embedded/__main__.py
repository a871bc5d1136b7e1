"""`python -m chatdong.embedded run|exec -- CMD`."""

import sys

from chatdong.embedded.launcher import main

sys.exit(main())
