"""Campaign publishing: LED slides, videos, social posts and a calendar from one campaign file.

    data/campaigns/<id>.yml   the campaign: dates, slogans, featured excerpts, screens, platforms
    data/screens.yml          LED screen profiles (size, colour mode, font sizes, durations)
    data/platforms.yml        social-media platforms and their limits, with their source
    data/slogans.yml          slogans shared by several campaigns (optional)

``pufa campaign build <id>|--all`` writes everything under build/campaigns/ (see build.py).
"""
