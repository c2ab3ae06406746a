"""Forecasting models and backtests for contact volume and handle time."""
