# The image docker-compose.yml runs as web (gunicorn), worker and beat.
FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends procps && rm -rf /var/lib/apt/lists/*
COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/base.txt
COPY . .
RUN DEBUG=True python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "mlaexam.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
