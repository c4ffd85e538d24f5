"""Rencana Tindak Lanjut (RTL): improvement action plans drawn from a closed cycle's weakest unsur."""
