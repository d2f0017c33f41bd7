"""Helpers shared by several test folders (what the scripts share with the tests is in
speechlab/)."""
