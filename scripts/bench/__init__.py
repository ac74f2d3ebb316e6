"""The platform's benchmark (scripts/bench_pages.py): a benchmark, not a test.

How it fits together
--------------------
- ``core``: the registry (``Group``, ``Scenario``, ``Result``), the run loop (rounds
  interleaved, median and spread, ratios) and the printed table.
- ``infra``: PostgreSQL, Redis and gunicorn processes on loopback ports of this worktree's
  slot (from TEST_PG_PORT, or ``--port-base``); everything it starts it stops.
- ``loadgen``: wrk (finds it, runs it, parses its output; Lua scripts for POSTs).
- ``django_side``: what runs inside Django under the production settings (data set-up per
  group, the query probe that counts queries and writes per page).
- ``hello``: the bare Django "hello" app every page is compared with.
- one module per scenario group: ``pages`` (lesson, course, dashboard, catalogue), ``quiz``
  (start, autosave, submit at 16 connections, graded-exactly-once check),
  ``peer`` (a peer Wagtail LMS, when its path is given), ``exports`` (learner report page
  and CSV at 10k/100k), ``hr`` (compliance dashboard), ``records`` (certificate PDF, HR
  bulk check of 5,000 codes).

Adding a scenario group
-----------------------
1. Create ``scripts/bench/<group>.py`` with, at module level, ``GROUP = Group(name=...,
   setup_data=<function>, scenarios=<function>)``:

   - ``setup_data(options: dict) -> dict`` runs INSIDE Django (production settings, the
     bench's database and Redis), creates what the group needs and returns JSON-able facts
     (URLs, ids, session cookies from ``django_side.session_cookie_for(user)``). Import
     Django things inside the function: the orchestrator imports the module without Django.
   - ``scenarios(ctx: Context, data: dict) -> list[Scenario]`` runs in the orchestrator and
     builds the scenarios from those facts. A ``Scenario`` either loads a URL with wrk
     (``path=``, ``cookie=``, ``connections=``, ``lua=`` for POSTs), or measures itself
     (``measure=callable(ctx) -> Result``, e.g. a timed export or a ``COPY``).
     ``baseline=`` names the scenario it is divided by ("hello" by default; e.g.
     "copy-100k" with ``compare="time"``); ``goal=`` is the ratio the issue asks for;
     ``probe=True`` also counts its queries and writes per request (GET pages);
     ``max_seconds=`` caps its wrk runs below ``--duration`` (a cheap scenario);
     ``after_rounds=callable(ctx) -> dict`` prints checks under the table (``ctx.results``
     holds every scenario's rounds by then).
2. Add the module's name to ``GROUPS`` in ``core.py`` (order = order of the table).
3. ``scripts/bench_pages.py --only <group>`` runs just the hello and your group.
"""
