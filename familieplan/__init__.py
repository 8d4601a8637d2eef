"""familieplan: one joint plan across departments for a family."""
__version__ = "0.1.0"
