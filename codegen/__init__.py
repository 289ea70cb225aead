"""Development-time generator: spec/ (YAML) -> generated/tgclient (typed client).

Run ``python -m codegen`` to regenerate and ``python -m codegen --check`` to verify that
``generated/`` is up to date. Not shipped in the wheel.
"""

GENERATOR_VERSION = "0.1.0"
