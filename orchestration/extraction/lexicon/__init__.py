"""The extractor's rule data: word lists and ordered rule tables, one module per attribute of a fact.

Data only; the modules of `orchestration.extraction` compile them into patterns.
"""
