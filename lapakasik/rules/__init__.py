"""Benefit law as pure code with dated parameters (ARCHITECTURE.md §3.1).

No Django here: everything takes plain values (dates, whole-rupiah ints, frozen dataclasses) and
returns :class:`lapakasik.rules.results.Result` objects that explain every line. Entry points for
interfaces: :func:`lapakasik.rules.api.estimate` and :func:`lapakasik.rules.params.params_on`.
"""
