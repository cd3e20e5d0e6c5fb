"""official features: every module here registers its feature sets on import.

The scored official is the person (entity_id = person_id); his posts that count at D are those
in force at D and those that ended within the scope period (see `common`). One module per
concern:

- conflict: his units' awards during his tenure to enterprises of his circle (himself,
  relatives, associates), their value and share, how close the link (needs relations);
- unit_flags: his unit's red-flag rates during his tenure, and their rise against the years
  before it (tender flags of `features.tender`, top-supplier concentration);
- position: in post, unit head, rank, years in post or since leaving, posts held, his units'
  recent spending (context, not risk);
- family: enterprises his relatives and associates hold roles in and how many supplied his
  units (needs relations); his own roles in enterprises (does not);
- revolving: roles taken after leaving a post in enterprises that then won at the former unit,
  and how soon; roles taken in former suppliers.

Several posts: counts and money add up (each contract once), rates and levels take the highest
over his posts. birth_year and gender are never read. `common` registers nothing.
"""
