"""The ways an implementation may differ from the tutorial: declared conventions
(conventions, precision), the knobs a variant turns and the reference computed under them
(knobs, mutant), the catalogue of known conventions, mistakes and different functions
(catalogue), replaying failing cases through them (replay, diagnose), and what the report
says about the failures (explain). ``adapt`` turns the vectors into the cases expected
under the conventions in force."""
