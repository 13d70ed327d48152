"""lawgraph: Mexican legislative reform for women's rights as a knowledge graph."""
__version__ = "0.1.0"
