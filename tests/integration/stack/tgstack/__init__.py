"""Server-side code of the integration stack.

Everything in this package runs inside the stack's own virtual environment (trustgraph-base
and trustgraph-flow 2.11.1), never in the test process. The launcher puts the directory
holding this package on ``PYTHONPATH`` and runs its modules as ``python -m tgstack.<module>``
or names their classes in ``processor-group`` configuration.
"""
