"""Helpers shared by several test folders and by the evaluation scripts."""
