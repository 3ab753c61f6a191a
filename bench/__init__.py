"""Benchmarks: the feedback loop, the environment lifecycle and the rollout time.

`python -m bench` (or `tox -e bench`) measures each section, renders
markdown tables and appends them to docs/benchmarks.md. A section whose
prerequisites are missing is reported as "not run: <reason>"; the command
fails only when it could not run at all, never because a figure missed a target.
"""
