"""Gates: adapters from each protocol (CI, agent hooks, IPython) to the checker and back."""
