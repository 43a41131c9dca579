"""The contract's one error type."""


class ContractError(ValueError):
    """A manifest or an input does not satisfy the model contract."""
