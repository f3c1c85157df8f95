"""Graph: records -> one typed graph of tasks, models, papers, code, datasets and questions."""
