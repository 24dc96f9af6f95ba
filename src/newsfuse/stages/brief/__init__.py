"""The cited brief, in small steps: which facts each sentence states (:mod:`.concepts`), what a
sentence is worth (:mod:`.scorer`, a linear model fitted on AllSides roundups), which sentences
cover the most concept weight, each concept once and no sentence mostly repeating a fact already
stated (:mod:`.coverage`, budgeted greedy or an exact ILP; :mod:`.select` is the fallback for a
story without facts; given a word budget, :mod:`.gain`, a learned greedy rule, chooses instead), the story's order with what changed
first (:mod:`.order`), sentences that read on their own (:mod:`.standalone`) and a title that takes
no side (:mod:`.title`).  :func:`newsfuse.stages.summarize.build_story` runs them in that order.
"""
