"""Shared hostile corpora: read by the tests and the benchmarks alike (neither imports the other).

- :mod:`.hostile`: scenario files that must be refused (``hostile/``), ones that must be accepted
  (``hostile/accepted/``), and big inputs built on the fly;
- :mod:`.links`: hostile link values for every page's URL parameters;
- :mod:`.budget`: random legal scenarios of moderate cost.
"""
