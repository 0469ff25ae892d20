"""Training and evaluation of the story detector and tagger.

``sets`` (the written sets, from the model store), ``train_detector``, ``evaluate``, ``contrastive``.
"""
