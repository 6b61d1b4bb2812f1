"""Event and fact sources: reading, checking and mapping every input file to the contract.

Modules, in import order (a module imports only those before it):

* :mod:`~analysis.sources.validate` - reading CSVs and checking them against the contract;
* :mod:`~analysis.sources.columns` - column parsing shared by the event sources;
* :mod:`~analysis.sources.http` - shared HTTP pieces of the API clients (credentials, sidecars);
* :mod:`~analysis.sources.cache` - Parquet cache of parsed files;
* :mod:`~analysis.sources.actors` - actor registry and named strike definitions;
* :mod:`~analysis.sources.acled`, :mod:`~analysis.sources.ucdp`,
  :mod:`~analysis.sources.ucdp_daily` - one module per event source;
* :mod:`~analysis.sources.curated` - the curated ceasefire, diplomatic and count tables;
* :mod:`~analysis.sources.ethprio` - the ETH/PRIO ceasefire dataset, one row per ceasefire.

:mod:`analysis.events` picks a source for the notebooks.
"""
