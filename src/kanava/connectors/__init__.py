"""One package per social network, all with the same contract (see ``base``).

A network's package knows what only that network knows: how it counts text, what media
it takes, and (as they land) how to publish, fetch and measure through its API.
"""
