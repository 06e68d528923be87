# The image docker-compose.yml runs as web (gunicorn), worker and beat.

# The browser app, built once; only its dist/ goes into the image.
FROM node:20-slim AS frontend
WORKDIR /frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends procps postgresql-client && rm -rf /var/lib/apt/lists/*
COPY requirements/ requirements/
RUN pip install --no-cache-dir -r requirements/base.txt
COPY . .
COPY --from=frontend /frontend/dist frontend/dist
# Collected as production serves them: hashed names and a manifest (the key is for this step only).
RUN DEBUG=False SECRET_KEY=collectstatic-only-not-a-secret python manage.py collectstatic --noinput
EXPOSE 8000
CMD ["gunicorn", "mlaexam.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
