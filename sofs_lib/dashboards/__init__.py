"""Dashboards (served by Voila): the framework, the panels, the apps and their registry.

:mod:`.spec` is the contract between the panels (what a panel computes from the release),
the on-screen charts and the downloads (what the server renders on request).
"""
