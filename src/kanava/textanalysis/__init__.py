"""Offline text analysis for short social media texts in en, fi, nb/nn, sv (and da).

Pure Python, no Django: language identification, tone, keywords, near-duplicates and
emerging topics. Everything here takes batches, runs on a laptop's CPU and loads its
models from inside the package (nothing is downloaded at run time).
"""
