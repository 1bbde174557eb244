"""Tests of issue #6: coordinator accounts, requests, suggestions and introductions."""
