"""Evaluation: metrics (pure functions), the runner, the report and the tutorial baseline."""
