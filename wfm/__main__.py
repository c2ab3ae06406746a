import sys

from wfm.cli import main

# guarded: worker processes started with multiprocessing's spawn import this module again
if __name__ == "__main__":
    sys.exit(main())
