"""Single sign-on and the second factor, built on django-allauth.

``adapters``: who a provider may sign in (never a new account); ``forms``: the code step
counted by axes; ``middleware``: coordinators and liaisons set up a second factor first;
``views``: the sign-in page and the reset of someone's second factor; ``signals``: the
access log entries.
"""
