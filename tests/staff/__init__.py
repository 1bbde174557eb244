"""Tests of the staff area, staff sign-in and outcome links."""
