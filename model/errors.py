"""The one error type of the model's public entry points."""


class ScenarioError(ValueError):
    """A scenario that cannot be simulated; the message names the offending key."""
