"""Serialised OCOP star stamps: codes, batches, print sheets, scans and counterfeit signals.

The code scheme is in docs/decisions/0007-stamp-codes.md.
"""
