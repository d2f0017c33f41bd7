"""What a couple types through whole check-ins, line by line (`checkin run --text`)."""

from __future__ import annotations

# The daily guide from consent to the last appreciation: two turns, two appreciations
# (one said again before it is saved).
DAILY_SCRIPT = """yes
yes
I had a long day, and I felt tired but proud.
I'm done
My day was calm. I missed you at lunch.
done
you made me coffee \u2615 and said "good luck"
save it
you listened to me
say again
you listened to me tonight, really listened
save it
"""
