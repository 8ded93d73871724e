"""Luoshi (落实): turns a government work plan into tracked, supervised tasks."""
