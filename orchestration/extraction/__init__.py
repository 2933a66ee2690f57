"""zhibiao's text-to-facts library, the bottom layer. Pure Python: it never imports Dagster nor any
other layer of zhibiao, so it can be tested and benchmarked on its own. `pipeline.extract_document`
is the whole pipeline for one report's text."""

from .document import ManifestEntry
from .facts import MEASURES, Measure
from .pipeline import DocumentExtraction, ExtractedFact, ExtractedSentence, extract_document
from .reference import load_reference
from .text import normalize

__all__ = ["MEASURES", "DocumentExtraction", "ManifestEntry", "Measure", "ExtractedFact", "ExtractedSentence",
           "extract_document", "load_reference", "normalize"]
