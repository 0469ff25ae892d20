"""Topic modelling: a fit/transform estimator composed from BERTopic's parts."""
