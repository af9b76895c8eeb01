"""Attendance reports of each platform, built in code from the layouts
docs/online.md documents (no file is copied from a platform)."""
