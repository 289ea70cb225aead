"""The stock librarian and knowledge processors with in-memory storage.

Importing this module puts the stand-ins into ``sys.modules`` under the names the stock
modules import (``trustgraph.tables.library``, ``trustgraph.librarian.blob_store``,
``trustgraph.tables.knowledge``), applies the opt-in knowledge-core patch if enabled
(:mod:`tgstack.kg_patch`), and then imports the unmodified 2.11.1 processors. Name them in
``processor-group`` configuration as ``tgstack.workspace.Librarian`` and
``tgstack.workspace.Knowledge``.
"""

import importlib
import sys

from . import kg_patch, memory_blob, memory_knowledge, memory_library

_STAND_INS = {
    "trustgraph.tables.library": memory_library,
    "trustgraph.librarian.blob_store": memory_blob,
    "trustgraph.tables.knowledge": memory_knowledge,
}


def _stock(module):
    """Install the stand-ins, then import ``module`` and return its ``Processor``."""
    for name, stand_in in _STAND_INS.items():
        sys.modules.setdefault(name, stand_in)
    kg_patch.apply_if_enabled()
    return importlib.import_module(module).Processor


Librarian = _stock("trustgraph.librarian.service")
Knowledge = _stock("trustgraph.cores.service")
