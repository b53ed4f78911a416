"""Named-entity taggers: the register-and-regex rule tagger and the learned tagger."""
