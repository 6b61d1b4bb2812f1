"""The report runner: notebooks x parameter sets, checked first, run in parallel, published.

``python -m analysis.runner run notebooks/reports.yml`` expands the run file into jobs
(:mod:`~analysis.runner.runfile`), checks every job's parameters against its notebook's
``parameters`` cell before anything runs (:mod:`~analysis.runner.parameters`), executes the
jobs with papermill (:mod:`~analysis.runner.execute`) on kernels of this interpreter
(:mod:`~analysis.runner.kernels`) over a process pool or a Dask cluster
(:mod:`~analysis.runner.schedule`), exports HTML in the worker and publishes each job
atomically under ``reports/<job>/`` (:mod:`~analysis.runner.publish`), and writes
``reports/manifest.json`` (:mod:`~analysis.runner.manifest`) and ``reports/index.html``
(:mod:`~analysis.runner.gallery`). The command line is :mod:`~analysis.runner.cli`.

Papermill pitfalls handled, and how:

* parameter types: names and types are read from the parameters cell (annotations, else the
  type of the default) and checked before the run; ``-p`` values from the command line are
  converted to the declared type instead of guessed, and YAML dates stay text;
* parameter values: numbers within :data:`analysis.runner.parameters.PARAMETER_BOUNDS` (no
  ``n_placebos: 0`` or ``10**9``), text within ``PARAMETER_CHOICES``, ISO dates, existing
  ``events_path`` files and ``data_dir`` folders, and ceasefire ids listed in the job's
  ceasefire table, all checked before anything runs; explicit job names must be plain folder
  names (no ``../``, no absolute paths);
* credentials: kernels start without the ACLED/UCDP credential variables (or any
  ``*PASSWORD``/``*SECRET``/``*TOKEN``/``*API_KEY``), so no notebook can print one into a
  shared report;
* kernel names: every job runs ``python3`` resolved to *this* interpreter
  (``sys.executable``), whatever kernels the machine has registered or the notebook names;
* port races between parallel kernels: kernels talk over private IPC sockets, not TCP ports,
  and a failed kernel start is retried once;
* hung kernels: each job has a wall-clock budget; when it runs out the cell is abandoned, the
  kernel killed and the job marked ``timeout``;
* failed runs: the executed notebook is kept under ``reports/_failed/<job>/``, the last good
  report of the job stays where it was, the other jobs go on and the run exits non-zero.

Nothing else in :mod:`analysis` imports this package, and no notebook does.
"""
