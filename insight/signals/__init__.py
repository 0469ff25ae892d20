"""The project's own multi-task signals model: sentiment, emotion, offensive and hate heads on MiniLM."""
