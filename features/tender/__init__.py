"""tender features: every module here registers its feature sets on import.

One module per concern, named after the methodology where there is one (the OCDS red flags of
`shared/spec/ocds-red-flags.md`, computed on the contract tables as point-in-time features;
`features/ocds` holds the Cardinal-exact version over raw OCDS JSON):

- procedure: bidders, R018 single bid, non-open method, R003 short submission period, decision
  periods (the classic corruption-risk index);
- competition: bidders whose bids stayed valid, a single valid bid in a competitive procedure;
- periods: the submission period against the usual one for the method;
- r024 / r058: the best rival bid barely above / far above the winner's (fences over the view);
- r025: the winner bids often and rarely wins; r028: identical bid prices; r030: late bid won;
- r035: all but the winner disqualified; r036: the lowest bid disqualified;
- r038: the buyer disqualifies an unusual share of bids; r044: bidders share an address, a
  phone or a person; r048: the winner's range of category divisions;
- r055: direct awards to one supplier adding up to the open-tender threshold;
- thresholds: direct/limited purchases just below a value threshold the data reveal;
- winner: the winner's age at the award; winner_history: its share of the buyer's spending,
  its dependence on the buyer, its earlier wins there; connections: an official (or former
  official) of the buyer behind the winner;
- buyer_history: the buyer's single-bid and non-open rates in the year before the tender;
- price: price against the estimate, final against signed price, amendments;
- spread: the spread of the valid bids and the gap between the two lowest.

`base` holds the shared building blocks (winners, fences, flags) and registers nothing.
"""
