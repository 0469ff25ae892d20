"""Engines move batches through stages: in-process by default, Ray Data past one machine."""
