"""The daily ranking job (`huoyan rank`): job.py orchestrates; levels.py, frames.py,
entities.py and rules.py are pure logic; store.py and cases.py write to the service database
in the job's one transaction; benchmark.py times it on a large world.
"""
