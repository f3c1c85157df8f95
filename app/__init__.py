"""ModelAtlas: a knowledge-graph backed recommender and explainer for AI models and papers."""

__version__ = "0.1.0"
